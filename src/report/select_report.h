// The page `edgewise select --report FILE.html` writes: the variants on a
// latency–accuracy plane (latency–energy when no accuracies are known), the
// chosen one and the rejected ones marked; bars of latency, energy and memory
// per variant; the table of metrics and the --explain text.
#pragma once

#include "device/variant_selection.h"
#include "report/html_report.h"

namespace ew::report {

HtmlReport select_report(const Selection& selection);

}  // namespace ew::report
