package vault

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

// Recovery codes carry 120 random bits written as 24 characters of
// Crockford's base32 in six groups of four: no I, L, O or U to misread, and
// typing is forgiving (case, spaces, dashes, O for 0, I or L for 1).
const recoveryBytes = 15

var crockford = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

func newRecoveryCode() string {
	b := make([]byte, recoveryBytes)
	rand.Read(b)
	s := crockford.EncodeToString(b)
	var groups []string
	for i := 0; i < len(s); i += 4 {
		groups = append(groups, s[i:i+4])
	}
	return strings.Join(groups, "-")
}

// normalizeRecoveryCode returns the canonical secret for a code as typed, or
// "" when it cannot be a recovery code.
func normalizeRecoveryCode(typed string) string {
	var sb strings.Builder
	for _, r := range strings.ToUpper(typed) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		sb.WriteRune(r)
	}
	s := sb.String()
	b, err := crockford.DecodeString(s)
	if err != nil || len(b) != recoveryBytes {
		return ""
	}
	return s
}
