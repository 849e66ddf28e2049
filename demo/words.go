package demo

// Weights follow store.TicketStatuses, store.Priorities and store.TicketChannels.
var (
	statusWeights   = []int{6, 9, 12, 3, 62, 4, 4}
	priorityWeights = []int{20, 55, 20, 5}
	channelWeights  = []int{40, 25, 15, 15, 5}
)

var departmentNames = []string{"Sales", "Support", "Billing", "Technical", "Returns", "Shipping", "Partners", "Accounts",
	"Onboarding", "Enterprise", "Marketplace", "Mobile app", "Web shop", "Warranty", "Compliance", "Careers", "Press",
	"Logistics", "Training", "Security"}

var firstNames = []string{"Anna", "Piotr", "Maria", "Ion", "Elena", "Tomasz", "Sofia", "Andrei", "Julia", "Marek", "Ioana",
	"Karol", "Ewa", "Mihai", "Laura", "Jan", "Alex", "Zofia", "Radu", "Nina", "Oskar", "Clara", "Victor", "Ada"}

var lastNames = []string{"Nowak", "Popescu", "Kowalska", "Ionescu", "Wiśniewski", "Dumitru", "Lewandowska", "Stan", "Zieliński",
	"Marin", "Wójcik", "Tudor", "Kamińska", "Rusu", "Smith", "Jones", "Brown", "Novak", "Horvat", "Larsen"}

var tags = []string{"vip", "refund", "bug", "invoice", "delivery", "feedback", "password", "upgrade", "cancel",
	"warranty", "login", "mobile", "api", "gdpr", "discount", "outage", "feature request", "complaint"}

var replies = []string{"Thank you for writing to us.", "Sorry for the trouble.", "Thanks for your patience.",
	"Good news:", "I checked this for you.", "Happy to help."}

var closers = []string{"Thanks!", "Please advise.", "Kind regards.", "Can you help?", "This is urgent.",
	"Looking forward to your answer.", "Best wishes.", ""}

type topic struct {
	subjects []string
	lines    []string
}

var topics = []topic{
	{[]string{"Invoice shows the wrong amount", "Need a copy of my invoice", "VAT number missing on invoice"},
		[]string{"The invoice for last month charges me twice for the same plan.", "Could you send the invoice again with our company address?",
			"Our accountant says the VAT number is missing on the invoice.", "The amount on the invoice does not match the order."}},
	{[]string{"Where is my parcel?", "Delivery is late", "Package arrived damaged"},
		[]string{"The tracking number has not changed for a week.", "The courier left the parcel at the wrong address.",
			"The box was crushed and the lamp inside is broken.", "I was promised delivery on Monday and it is Friday now."}},
	{[]string{"Cannot sign in", "Password reset email never arrives", "Account locked"},
		[]string{"I reset my password twice and still cannot sign in.", "The reset email does not arrive, not even in spam.",
			"My account says it is locked after three attempts.", "Two-factor codes from the app are rejected."}},
	{[]string{"Refund request", "Cancel my subscription", "Charged after cancelling"},
		[]string{"I cancelled within 14 days and would like a refund.", "Please cancel my subscription at the end of the month.",
			"You charged my card again after I cancelled.", "The refund has not reached my bank account yet."}},
	{[]string{"App crashes on start", "Error 500 on checkout", "Sync stopped working"},
		[]string{"Since the last update the mobile app closes right after it opens.", "Checkout fails with error 500 when I pay by card.",
			"Calendar sync stopped on all our laptops yesterday.", "The export button does nothing in Firefox."}},
	{[]string{"Question about the Pro plan", "Discount for nonprofits?", "Upgrade to more seats"},
		[]string{"Does the Pro plan include phone support?", "We are a charity; do you offer a discount?",
			"We need twelve more seats before the end of the quarter.", "Can we pay yearly by bank transfer?"}},
	{[]string{"Feature request: dark mode", "Suggestion for the reports page", "Feedback on the new design"},
		[]string{"It would be great to have a dark mode for night shifts.", "The reports page should let us filter by week.",
			"The new design is nice but the buttons are too small.", "Please add keyboard shortcuts for common actions."}},
}
