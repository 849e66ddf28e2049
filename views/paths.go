package views

// Paths shared by markup and handlers: the route table registers these, and a
// test checks every one matches a registered route.
const (
	PathHome         = "/"
	PathSignUp       = "/signup"
	PathSignIn       = "/signin"
	PathSignOut      = "/signout"
	PathForgot       = "/forgot-password"
	PathProfile      = "/profile"
	PathPassword     = "/profile/password"
	PathHealth       = "/healthz"
	PathStaticPrefix = "/static/"
)
