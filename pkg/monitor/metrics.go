package monitor

import (
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
)

// queueCollector exports the state of every asynq queue for Prometheus, read
// from Redis on each scrape (what asynq's x/metrics offers, which the Go
// proxy does not serve here).
type queueCollector struct {
	inspector *asynq.Inspector
	tasks     *prometheus.Desc
	size      *prometheus.Desc
	latency   *prometheus.Desc
	memory    *prometheus.Desc
	processed *prometheus.Desc
	failed    *prometheus.Desc
	paused    *prometheus.Desc
	up        *prometheus.Desc
}

func newQueueCollector(inspector *asynq.Inspector) *queueCollector {
	q := []string{"queue"}
	return &queueCollector{
		inspector: inspector,
		tasks:     prometheus.NewDesc("asynq_tasks_enqueued_total", "Tasks in the queue by state.", []string{"queue", "state"}, nil),
		size:      prometheus.NewDesc("asynq_queue_size", "Tasks in the queue (all states).", q, nil),
		latency:   prometheus.NewDesc("asynq_queue_latency_seconds", "Age of the oldest pending task.", q, nil),
		memory:    prometheus.NewDesc("asynq_queue_memory_usage_approx_bytes", "Approximate Redis memory used by the queue.", q, nil),
		processed: prometheus.NewDesc("asynq_tasks_processed_total", "Tasks processed (succeeded or failed) since the queue was created.", q, nil),
		failed:    prometheus.NewDesc("asynq_tasks_failed_total", "Tasks that failed since the queue was created.", q, nil),
		paused:    prometheus.NewDesc("asynq_queue_paused", "1 when the queue is paused.", q, nil),
		up:        prometheus.NewDesc("asynq_redis_up", "1 when Redis answered the scrape.", nil, nil),
	}
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.tasks, c.size, c.latency, c.memory, c.processed, c.failed, c.paused, c.up} {
		ch <- d
	}
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	queues, err := c.inspector.Queues()
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	for _, name := range queues {
		info, err := c.inspector.GetQueueInfo(name)
		if err != nil {
			continue
		}
		for state, n := range map[string]int{"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled,
			"retry": info.Retry, "archived": info.Archived, "completed": info.Completed, "aggregating": info.Aggregating} {
			ch <- prometheus.MustNewConstMetric(c.tasks, prometheus.GaugeValue, float64(n), name, state)
		}
		paused := 0.0
		if info.Paused {
			paused = 1
		}
		ch <- prometheus.MustNewConstMetric(c.size, prometheus.GaugeValue, float64(info.Size), name)
		ch <- prometheus.MustNewConstMetric(c.latency, prometheus.GaugeValue, info.Latency.Seconds(), name)
		ch <- prometheus.MustNewConstMetric(c.memory, prometheus.GaugeValue, float64(info.MemoryUsage), name)
		ch <- prometheus.MustNewConstMetric(c.processed, prometheus.CounterValue, float64(info.ProcessedTotal), name)
		ch <- prometheus.MustNewConstMetric(c.failed, prometheus.CounterValue, float64(info.FailedTotal), name)
		ch <- prometheus.MustNewConstMetric(c.paused, prometheus.GaugeValue, paused, name)
	}
}
