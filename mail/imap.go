package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"helpline/store"
)

// CheckResult counts what a mailbox check did.
type CheckResult struct {
	New     int // tickets started
	Added   int // messages added to tickets
	Ignored int // auto-replies, bounces, the desk's own mail, duplicates
}

// checkBatch bounds the messages fetched at once.
const checkBatch = 20

// dialIMAP connects to the mailbox's server as its Security says.
func dialIMAP(mb store.Mailbox) (*imapclient.Client, error) {
	addr := net.JoinHostPort(mb.Host, strconv.Itoa(mb.Port))
	opts := &imapclient.Options{Dialer: &net.Dialer{Timeout: Timeout}, TLSConfig: &tls.Config{ServerName: mb.Host, MinVersion: tls.VersionTLS12}}
	switch mb.Security {
	case store.SecurityTLS:
		return imapclient.DialTLS(addr, opts)
	case store.SecurityStartTLS:
		return imapclient.DialStartTLS(addr, opts)
	}
	return imapclient.DialInsecure(addr, opts)
}

// CheckMailbox reads every message in the mailbox's folder and files each
// (store.IntakeEmail); only once its ticket has committed is the message
// deleted on the server. own are the desk's own addresses, whose mail is
// never taken in; fileLimit is the largest attached file kept (0: 10 MB).
func CheckMailbox(ctx context.Context, st *store.Store, mb store.Mailbox, own []string, fileLimit int64) (CheckResult, error) {
	var res CheckResult
	c, err := dialIMAP(mb)
	if err != nil {
		return res, err
	}
	defer c.Close()
	// A check never outlives its context: closing the connection ends
	// whatever command waits.
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.Login(mb.Username, mb.Password).Wait(); err != nil {
		return res, fmt.Errorf("%w: %w", errIMAPLogin, err)
	}
	if _, err := c.Select(mb.Folder, nil).Wait(); err != nil {
		return res, fmt.Errorf("%w: %w", errIMAPFolder, err)
	}
	found, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagDeleted}}, nil).Wait()
	if err != nil {
		return res, err
	}
	uids := found.AllUIDs()
	section := &imap.FetchItemBodySection{Peek: true}
	var taken imap.UIDSet
	for start := 0; start < len(uids); start += checkBatch {
		batch := imap.UIDSetNum(uids[start:min(start+checkBatch, len(uids))]...)
		msgs, err := c.Fetch(batch, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
		if err != nil {
			return res, err
		}
		for _, m := range msgs {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			if err := take(ctx, st, mb, own, fileLimit, m.FindBodySection(section), &res); err != nil {
				return res, err
			}
			// Committed: now the server may forget it.
			one := imap.UIDSetNum(m.UID)
			if err := c.Store(one, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
				return res, err
			}
			taken.AddNum(m.UID)
		}
	}
	if len(taken) > 0 {
		if c.Caps().Has(imap.CapUIDPlus) {
			err = c.UIDExpunge(taken).Close()
		} else {
			err = c.Expunge().Close()
		}
		if err != nil {
			return res, err
		}
	}
	_ = c.Logout().Wait()
	return res, nil
}

var (
	errIMAPLogin  = errors.New("imap login refused")
	errIMAPFolder = errors.New("imap folder not found")
)

// take files one raw message.
func take(ctx context.Context, st *store.Store, mb store.Mailbox, own []string, fileLimit int64, raw []byte, res *CheckResult) error {
	in, ignore, err := Parse(raw, own, fileLimit)
	if err != nil || ignore {
		// A bounce of one of the desk's replies marks it Not delivered.
		if ids, detail, ok := Bounce(raw); ok {
			for _, id := range ids {
				if found, err := st.MailBounced(ctx, id, string(ProblemRejected)+"\n"+detail); err != nil || found {
					if err != nil {
						return err
					}
					break
				}
			}
		}
		res.Ignored++
		return st.IgnoreEmail(ctx, in.MessageID)
	}
	in.DepartmentID = mb.DepartmentID
	r, err := st.IntakeEmail(ctx, in)
	switch {
	case errors.Is(err, store.ErrEmailRefused):
		res.Ignored++
		return st.IgnoreEmail(ctx, in.MessageID)
	case err != nil:
		return err
	case r.Duplicate:
		res.Ignored++
	case r.New:
		res.New++
	default:
		res.Added++
	}
	return nil
}

// CheckProblem sorts a mailbox check's error into a message ID.
func CheckProblem(err error) Problem {
	switch {
	case errors.Is(err, errIMAPLogin):
		return ProblemAuth
	case errors.Is(err, errIMAPFolder):
		return ProblemFolder
	}
	p, _ := Explain(err)
	return p
}

// ProblemFolder: the mailbox has no such folder.
const ProblemFolder Problem = "MailProblemFolder"

// checkTimeout bounds one mailbox check.
const checkTimeout = 2 * time.Minute

// OwnAddresses are the desk's own addresses: its From address and the
// mailboxes' user names that are addresses.
func OwnAddresses(ctx context.Context, st *store.Store, boxes []store.Mailbox) []string {
	var own []string
	if cfg, err := st.MailSettings(ctx); err == nil {
		own = append(own, cfg.FromAddress)
	}
	for _, b := range boxes {
		if strings.Contains(b.Username, "@") {
			own = append(own, b.Username)
		}
	}
	return own
}

// CheckAndRecord checks one mailbox and keeps the time and result of the
// check for Channels → Email: "" and the counts, or the problem.
func CheckAndRecord(ctx context.Context, st *store.Store, mb store.Mailbox, own []string, fileLimit int64) (CheckResult, error) {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	res, err := CheckMailbox(ctx, st, mb, own, fileLimit)
	result := fmt.Sprintf("%d %d %d", res.New, res.Added, res.Ignored)
	if err != nil {
		result = string(CheckProblem(err)) + "\n" + err.Error()
	}
	if rerr := st.RecordMailboxCheck(context.WithoutCancel(ctx), mb.ID, err == nil, result); rerr != nil && err == nil {
		err = rerr
	}
	return res, err
}

// CheckAll checks every mailbox in turn.
func CheckAll(ctx context.Context, st *store.Store, fileLimit int64) error {
	// An ended desk takes nothing in; the mail waits on its server.
	if ended, err := st.DeskEnded(ctx); err != nil || ended {
		return err
	}
	boxes, err := st.Mailboxes(ctx)
	if err != nil || len(boxes) == 0 {
		return err
	}
	own := OwnAddresses(ctx, st, boxes)
	for _, mb := range boxes {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// One mailbox's trouble is recorded on it and does not stop the others.
		_, _ = CheckAndRecord(ctx, st, mb, own, fileLimit)
	}
	return nil
}
