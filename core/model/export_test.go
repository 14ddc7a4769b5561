package model

// SetFusion switches the fused units of the search network on or off.
func SetFusion(on bool) { fuse = on }
