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

// Paths of two-factor sign-in.
const (
	PathSignInCode              = "/signin/code"
	PathSignInEnrol             = "/signin/two-factor"
	PathProfileTwoFactor        = "/profile/two-factor"
	PathProfileTwoFactorConfirm = "/profile/two-factor/confirm"
	PathAgentTwoFactor          = "/config/agents/:id/two-factor"
)

// TwoFactorStatus is what Profile says about the agent's two-factor sign-in.
type TwoFactorStatus struct {
	On           bool
	RecoveryLeft int
}

// TwoFactorCodeProps is the second step of sign-in.
type TwoFactorCodeProps struct {
	Errors FieldErrors
}

// TwoFactorSetupProps is the page that turns an authenticator app on: QR is
// an SVG drawn by the server, Secret the same key as text; Action is where
// the confirming code goes. InConsole: in Profile, else in a sign-in.
type TwoFactorSetupProps struct {
	QR        string
	Secret    string
	Action    string
	InConsole bool
	Required  bool
	Errors    FieldErrors
}

// RecoveryCodesProps shows the ten recovery codes, once; Continue is where
// the agent goes next.
type RecoveryCodesProps struct {
	Codes     []string
	Continue  string
	InConsole bool
}
