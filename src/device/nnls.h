// Non-negative least squares: min ||A x - b||² subject to x >= 0, by the
// Lawson-Hanson active-set method on the normal equations (Bro & De Jong's
// "fast NNLS"). Used to fit latency coefficients, which are times per unit of
// work and so can never be negative. Columns that are collinear get a tiny
// ridge so the solve stays defined; NNLS then keeps one of them.
#pragma once

#include <vector>

namespace ew {

// `rows` is row-major, every row of the same length n. Returns x of length n.
std::vector<double> solve_nnls(const std::vector<std::vector<double>>& rows, const std::vector<double>& b);

}  // namespace ew
