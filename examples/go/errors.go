package tenantiso

/*
#include <tenantiso.h>
*/
import "C"

import "fmt"

// Error is a failure the library reported: no decision was made, so treat
// it as a deny. Status is the library's tiso_status number, Code its stable
// name ("invalid_tenant", "syntax", ...), Message the library's explanation.
// Path, Line and Column locate a problem in a policy document (else empty/0).
type Error struct {
	Status  int
	Code    string
	Message string
	Path    string
	Line    int
	Column  int
}

func (e *Error) Error() string { return "tenantiso: " + e.Code + ": " + e.Message }

// Is matches another *Error with the same Status, so errors.Is(err,
// tenantiso.ErrInvalidTenant) works whatever the message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Status == e.Status
}

func statusError(st C.tiso_status) *Error {
	return &Error{Status: int(st), Code: C.GoString(C.tiso_status_name(st)), Message: C.GoString(C.tiso_strerror(st))}
}

func detailedError(st C.tiso_status, err *C.tiso_error) *Error {
	e := statusError(st)
	if msg := C.GoString(&err.message[0]); msg != "" {
		e.Message = msg
	}
	e.Path = C.GoString(&err.path[0])
	e.Line, e.Column = int(err.line), int(err.column)
	return e
}

// Sentinels for errors.Is; the numbers are the library's ABI.
var (
	ErrInvalidArgument       = statusError(C.TISO_E_INVALID_ARGUMENT)
	ErrInvalidTenant         = statusError(C.TISO_E_INVALID_TENANT)
	ErrInvalidDomain         = statusError(C.TISO_E_INVALID_DOMAIN)
	ErrResolve               = statusError(C.TISO_E_RESOLVE)
	ErrSyntax                = statusError(C.TISO_E_SYNTAX)
	ErrSchema                = statusError(C.TISO_E_SCHEMA)
	ErrIO                    = statusError(C.TISO_E_IO)
	ErrNotFound              = statusError(C.TISO_E_NOT_FOUND)
	ErrNoHomeTenant          = statusError(C.TISO_E_NO_HOME_TENANT)
	ErrInconsistentDirection = statusError(C.TISO_E_INCONSISTENT_DIRECTION)
	ErrConflict              = statusError(C.TISO_E_CONFLICT)
	ErrClosed                = &Error{Status: int(C.TISO_E_INVALID_ARGUMENT), Code: "invalid_argument", Message: "the object is closed"}
)

func misuse(format string, args ...any) *Error {
	return &Error{Status: int(C.TISO_E_INVALID_ARGUMENT), Code: "invalid_argument", Message: fmt.Sprintf(format, args...)}
}
