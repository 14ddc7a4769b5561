// Package plot draws the native binary's figures with gonum.org/v1/plot:
// search curves (best test accuracy against samples, mean ± std over runs) of
// the NAS-Bench-201 strategy comparison, in the style of Figure 6 of Dong & Yang,
// "NAS-Bench-201", ICLR 2020. Imports: gonum plot, core/nb201. Native only.
package plot
