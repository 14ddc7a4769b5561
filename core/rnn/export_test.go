package rnn

// View exposes view (the reshape around the search cell's batch norm) to the
// gradient check.
var View = view
