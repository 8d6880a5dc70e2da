// The page `edgewise bench MODEL --device PROFILE --sustained SECONDS --report
// FILE.html` writes: the temperature and clock of the simulated run over time
// (with the trip and recovery temperatures), latency and power over time for
// each policy, and the table comparing the primary-only run with the
// thermal-aware one (fallback while hot).
#pragma once

#include "device/sustained.h"
#include "report/html_report.h"

namespace ew::report {

HtmlReport sustained_report(const SustainedResult& result);

}  // namespace ew::report
