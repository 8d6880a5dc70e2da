// The HTML report of `edgewise train --report`: loss and accuracy curves per
// epoch (train and validation), and a table of every epoch.
#pragma once

#include <string>

#include "train/trainer.h"

namespace ew::report {

Status write_train_report(const train::TrainReport& r, const std::string& title, const std::string& path);

}  // namespace ew::report
