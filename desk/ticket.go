package desk

import "slices"

// Channel is how a ticket arrived.
type Channel string

const (
	ChannelEmail       Channel = "email"
	ChannelContactForm Channel = "contact_form"
	ChannelChat        Channel = "chat"
	ChannelCall        Channel = "call"
	ChannelAPI         Channel = "api"
)

// Channels lists every channel; LoggedChannels those an agent logs by hand
// (a ticket from the contact form or the API arrives by itself).
var (
	Channels       = []Channel{ChannelEmail, ChannelContactForm, ChannelChat, ChannelCall, ChannelAPI}
	LoggedChannels = []Channel{ChannelCall, ChannelChat, ChannelEmail}
)

// Valid reports whether ch is a known channel.
func (ch Channel) Valid() bool { return slices.Contains(Channels, ch) }

// Priority orders tickets within a status group; higher comes first.
type Priority int

const (
	PriorityLow    Priority = 0
	PriorityNormal Priority = 1
	PriorityHigh   Priority = 2
	PriorityUrgent Priority = 3
)

// Priorities lists the priorities from low to urgent.
var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// Valid reports whether p is one of Priorities.
func (p Priority) Valid() bool { return p >= PriorityLow && p <= PriorityUrgent }
