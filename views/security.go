package views

// Paths of Configuration → Security and the two-factor sign-in.
const (
	PathSecurity = "/config/security"
)

// SecurityValues are the fields of Configuration → Security, as typed.
type SecurityValues struct {
	MinLength, MaxLength, ExpiryDays          string
	RequireDigit, RequireLetter, RefuseCommon bool
	RequireTwoFactor                          bool
}

// SecurityProps is the Security settings form.
type SecurityProps struct {
	Values SecurityValues
	Errors FieldErrors
}
