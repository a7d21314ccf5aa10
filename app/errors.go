package app

import "carnet/backend/core"

// userError maps a backend error to what the user should read.
func userError(err error) error { return core.ForUser(err) }
