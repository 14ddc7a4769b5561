package train

// AddScaled exposes addScaled (the auxiliary-head loss sum) to the gradient check.
var AddScaled = addScaled
