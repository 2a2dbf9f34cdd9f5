package importer

import "context"

// pipe writes an import's full batches in a goroutine while the parser
// goes on reading the file, so reading and writing overlap instead of
// adding up: an import then runs about as fast as the slower of its parser
// and its COPY. One batch is in flight at a time (two in memory), and
// every other use of the transaction's connection by the import — reading
// the file's next chunk, resolving a project, creating the run — waits for
// it first (wait), so the connection is never used by two goroutines.
type pipe struct {
	// done receives the in-flight batch's outcome; nil when none is.
	done chan error
	// flying is the batch being written; spare is a written one whose
	// slices the next batch reuses.
	flying, spare *batch
	// err is the first failure; every later call returns it.
	err error
}

// send hands w's current batch to a goroutine once the previous one is
// written, and gives w an empty batch to fill.
func (p *pipe) send(ctx context.Context, w *writer) error {
	if err := p.wait(); err != nil {
		return err
	}
	b := &batch{}
	*b = w.cur
	if p.spare != nil {
		w.cur, p.spare = *p.spare, nil
	} else {
		w.cur = batch{}
	}
	w.artBytes = 0
	done := make(chan error, 1)
	p.done, p.flying = done, b
	go func() { done <- w.write(ctx, b) }()
	return nil
}

// wait returns once no batch is in flight, with the first failure of any.
// It is safe to call any number of times.
func (p *pipe) wait() error {
	if p.done != nil {
		err := <-p.done
		p.done = nil
		p.flying.reset()
		p.spare, p.flying = p.flying, nil
		if err != nil && p.err == nil {
			p.err = err
		}
	}
	return p.err
}
