// Package desk holds the help desk's domain types and the rules that hold
// whichever way a ticket comes in: the console's forms today, email and the
// HTTP API later. It knows neither SQL nor HTTP, so every channel and the
// store can ask it the same questions and get the same answers.
package desk
