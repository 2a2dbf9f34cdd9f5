package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/ibutsu-go/ibutsu/pkg/artifact"
	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
)

// artifactsCommand is `backend artifacts migrate`: moves the bytes of
// existing artifacts at or above object_store.threshold_bytes from the
// database to the object store (or all of them back with --to-database), in
// batches, printing progress; running it again resumes where it stopped.
func artifactsCommand() cli.Command {
	return cli.Command{
		Name:    "artifacts",
		Summary: "migrate: move existing artifacts to the object store (--to-database: back), resumable",
		Args:    "migrate [--batch N] [--to-database]",
		Flags: func(fs *flag.FlagSet) cli.RunFunc {
			batch := fs.Int("batch", 100, "artifacts per batch (progress is printed after each)")
			toDB := fs.Bool("to-database", false, "move every artifact in the object store back into the database")
			return func(ctx context.Context, env cli.Env) error {
				if len(env.Args) == 0 || env.Args[0] != "migrate" {
					return errors.New("artifacts: the only subcommand is migrate")
				}
				// Flags may also follow the subcommand.
				sub := flag.NewFlagSet("artifacts migrate", flag.ContinueOnError)
				sub.SetOutput(io.Discard)
				sub.IntVar(batch, "batch", *batch, "")
				sub.BoolVar(toDB, "to-database", *toDB, "")
				if err := sub.Parse(env.Args[1:]); err != nil {
					return fmt.Errorf("artifacts migrate: %w", err)
				}
				if *batch < 1 {
					return errors.New("artifacts migrate: --batch must be at least 1")
				}
				return migrateArtifacts(ctx, env, *batch, *toDB)
			}
		},
	}
}

func migrateArtifacts(ctx context.Context, env cli.Env, batch int, toDB bool) error {
	cfg := env.Config.ObjectStore
	store, err := objstore.New(cfg)
	if err != nil {
		return err
	}
	if store == nil {
		return errors.New("artifacts migrate: no object store is configured (set OBJECT_STORE_BUCKET and its endpoint and credentials)")
	}
	if err := store.EnsureBucket(ctx); err != nil {
		return err
	}
	d, err := db.Open(ctx, env.Config.Database, env.Log)
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }() // every moved artifact is committed on its own
	if err := d.CheckSchema(ctx); err != nil {
		return fmt.Errorf("%w; run `backend migrate` first", err)
	}
	where := "to the object store"
	if toDB {
		where = "to the database"
	}
	objects := artifact.NewObjects(d, store, cfg, env.Log)
	p, err := objects.Migrate(ctx, toDB, batch, func(p artifact.MigrateProgress) {
		_, _ = fmt.Fprintf(env.Stdout, "moved %d artifacts (%d bytes) %s, %d skipped, last id %s\n", p.Moved, p.Bytes, where, p.Skipped, p.Last)
	})
	if err != nil {
		return fmt.Errorf("artifacts migrate (after %d moved; run it again to resume): %w", p.Moved, err)
	}
	_, err = fmt.Fprintf(env.Stdout, "done: %d artifacts (%d bytes) moved %s\n", p.Moved, p.Bytes, where)
	return err
}
