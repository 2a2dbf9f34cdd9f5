package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/ibutsu-go/ibutsu/pkg/platform/cli"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// resetPasswordCommand is `backend reset-password`: the way back in for a
// lost (superadmin) password, on the database the configuration points at.
// IBUTSU_SUPERADMIN_PASSWORD cannot do this: it applies only when the
// account is created.
func resetPasswordCommand() cli.Command {
	return cli.Command{
		Name:    "reset-password",
		Summary: "set a new password for a user: read from stdin with --password-stdin, or generated and printed",
		Flags: func(fs *flag.FlagSet) cli.RunFunc {
			email := fs.String("email", "", "the user's e-mail address (required)")
			fromStdin := fs.Bool("password-stdin", false, "read the new password from the first line of stdin instead of generating one")
			return func(ctx context.Context, env cli.Env) error {
				if *email == "" {
					return fmt.Errorf("reset-password: --email is required")
				}
				password, generated := "", false
				var err error
				if *fromStdin {
					password, err = user.ReadPassword(env.Stdin)
				} else {
					password, err = user.GeneratePassword()
					generated = true
				}
				if err != nil {
					return err
				}
				d, err := db.Open(ctx, env.Config.Database, env.Log)
				if err != nil {
					return err
				}
				defer func() { _ = d.Close() }() // a finished command: the password is already written
				if err := d.CheckSchema(ctx); err != nil {
					return fmt.Errorf("%w; run `backend migrate` first", err)
				}
				if err := user.ResetPassword(ctx, user.NewStore(d), *email, password, env.Config.BcryptRounds); err != nil {
					return err
				}
				msg := fmt.Sprintf("Password for %s changed.\n", *email)
				if generated {
					msg = fmt.Sprintf("New password for %s: %s\n", *email, password)
				}
				// The generated password is shown nowhere else: failing to
				// print it must not look like success.
				if _, err := io.WriteString(env.Stdout, msg); err != nil {
					return fmt.Errorf("print the result: %w", err)
				}
				return nil
			}
		},
	}
}
