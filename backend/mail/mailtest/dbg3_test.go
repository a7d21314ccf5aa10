//go:build mailtestdbg

package mailtest

import (
	"testing"
	"time"
)

func TestDbgDeliver(t *testing.T) {
	msgs := GenerateMessages(1, 10000, nil)
	s := Dovecot(t)
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		s.Deliver(t, "", "", msgs...)
		t.Log("deliver 10k", time.Since(t0))
	}
	t0 := time.Now()
	for _, m := range msgs {
		messageDate(m)
	}
	t.Log("dates", time.Since(t0))
	t0 = time.Now()
	c := s.Client(t)
	mb, err := c.Select("INBOX", true)
	t.Log("first select", time.Since(t0), mb.Messages, err)
}
