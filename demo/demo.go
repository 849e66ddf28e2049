// Package demo fills a new desk with sample data: an Owner, Administrators,
// Agents in departments, contacts, and tickets with threads and tags spread
// over the past year in every status and channel. It writes through the
// store's bulk loader, so a million tickets take under two minutes.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"helpline/authz"
	"helpline/store"
)

// Options size the sample desk that Fill writes.
type Options struct {
	Tickets      int
	Departments  int // at most len(departmentNames)
	Agents       int
	Admins       int
	PasswordHash string // every demo account signs in with this password
	Seed         uint64 // the same seed gives the same desk
	// Progress, if set, is called now and then with the tickets written.
	Progress func(done int)
	// Stage, if set, is called as each step after the tickets begins.
	Stage func(step string)
}

// Account is one account Fill created.
type Account struct {
	Name        string
	Email       string
	Role        authz.Role
	Departments []string
}

// ErrNotEmpty refuses to fill a database that has an account already.
var ErrNotEmpty = errors.New("the database already has an account; choose a new database file")

// actionFill records in the audit log that the desk was filled.
const actionFill store.AuditAction = "demo.fill"

// Fill writes a sample desk into an empty database and returns the accounts
// it made: the Owner first, then the Administrators, then the Agents.
func Fill(ctx context.Context, s *store.Store, o Options) ([]Account, error) {
	if ok, err := s.HasAccount(ctx); err != nil {
		return nil, err
	} else if ok {
		return nil, ErrNotEmpty
	}
	o.Departments = min(max(o.Departments, 1), len(departmentNames))
	o.Agents = max(o.Agents, o.Departments)
	d := &desk{rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)), opts: o}

	owner, err := s.SignUp(ctx, store.SignUpInput{Company: "Demo Company", Name: "Olivia Owner", Email: "owner@demo.example",
		PasswordHash: o.PasswordHash, Language: "en"})
	if err != nil {
		return nil, err
	}
	// The reports count days in the desk's time zone, which its history
	// is made in: set before the load, the load's count cuts them in it
	// once, instead of a second count of a million tickets' days after.
	if err := s.SaveSettings(ctx, owner.ID, store.Settings{CompanyName: "Demo Company", TimeZone: TimeZone}, ""); err != nil {
		return nil, fmt.Errorf("demo: settings: %w", err)
	}
	b, err := s.StartBulk(ctx, store.BulkOptions{Progress: o.Progress, Stage: o.Stage})
	if err != nil {
		return nil, err
	}
	defer b.Close()
	accounts, err := d.addPeople(ctx, b, owner.ID)
	if err != nil {
		return nil, fmt.Errorf("demo: accounts: %w", err)
	}
	accounts = append([]Account{{Name: owner.Name, Email: owner.Email, Role: authz.RoleOwner}}, accounts...)
	if err := d.addTickets(ctx, b); err != nil {
		return nil, fmt.Errorf("demo: tickets: %w", err)
	}
	if err := b.Finish(ctx); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return accounts, nil
}

// desk is what the tickets are made from.
type desk struct {
	rng       *rand.Rand
	opts      Options
	depts     []int64
	deptNames []string
	members   [][]int // per department: indexes into ids
	ids       []int64
	names     []string
	loc       *time.Location // the desk's time zone
	end       int64          // now, ms
	arrivals  arrivals
}

// addPeople adds the departments, the Administrators and the Agents.
func (d *desk) addPeople(ctx context.Context, b *store.Bulk, ownerID int64) ([]Account, error) {
	o := d.opts
	for i := range o.Departments {
		id, err := b.AddDepartment(ctx, store.BulkDepartment{Name: departmentNames[i], Description: "Demo department", By: ownerID})
		if err != nil {
			return nil, err
		}
		d.depts = append(d.depts, id)
		d.deptNames = append(d.deptNames, departmentNames[i])
		d.members = append(d.members, nil)
	}
	var accounts []Account
	for i := range o.Admins + o.Agents {
		role, email := authz.RoleAgent, fmt.Sprintf("agent%d@demo.example", i-o.Admins+1)
		if i < o.Admins {
			role, email = authz.RoleAdmin, fmt.Sprintf("admin%d@demo.example", i+1)
		}
		name := firstNames[i%len(firstNames)] + " " + lastNames[(i/len(firstNames)+i*7)%len(lastNames)]
		id, err := b.AddAgent(ctx, store.BulkAgent{Name: name, Email: email, Role: role, PasswordHash: o.PasswordHash, Language: "en", By: ownerID})
		if err != nil {
			return nil, err
		}
		d.names = append(d.names, name)
		d.ids = append(d.ids, id)
		acc := Account{Name: name, Email: email, Role: role}
		if role == authz.RoleAgent {
			// Each Agent works in one department, every other one in a second.
			k := i - o.Admins
			ds := []int{k % o.Departments}
			if k%2 == 0 && o.Departments > 1 {
				ds = append(ds, (k+1)%o.Departments)
			}
			for _, di := range ds {
				if err := b.AddMember(ctx, d.depts[di], id, store.Channels{Tickets: true, Chats: true, Calls: true}); err != nil {
					return nil, err
				}
				d.members[di] = append(d.members[di], len(d.ids)-1)
				acc.Departments = append(acc.Departments, d.deptNames[di])
			}
		}
		accounts = append(accounts, acc)
	}
	err := b.Audit(ctx, store.AuditEntry{ActorID: ownerID, Action: actionFill, Details: fmt.Sprintf("%d tickets", o.Tickets)})
	return accounts, err
}
