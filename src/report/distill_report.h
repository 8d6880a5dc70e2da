// The HTML report of `edgewise distill --report`: every stage's accuracy,
// size and latency (bars, and accuracy against measured latency), a table of
// the stages, and the loss and accuracy curves of each distilled stage.
#pragma once

#include <string>
#include <vector>

#include "distill/chain.h"

namespace ew::report {

Status write_distill_report(const std::vector<distill::StageReport>& stages, const std::string& title,
                            const std::string& path);

}  // namespace ew::report
