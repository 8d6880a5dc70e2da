// Paths to the device fixture trees and a scratch tree for malformed files.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "test_util.h"

namespace ew::device::test {

inline std::string fixture(const std::string& name) {
  return ew::test::source_dir() + "/tests/device/fixtures/" + name;
}

// A fresh directory standing in for "/", removed when the object dies.
class ScratchRoot {
 public:
  ScratchRoot() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("ew_device_" + std::to_string(::getpid()) + "_" + (info ? info->name() : "x"));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchRoot() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchRoot(const ScratchRoot&) = delete;
  ScratchRoot& operator=(const ScratchRoot&) = delete;

  std::string root() const { return path_.string(); }
  // Writes `content` to root + device_path, creating directories.
  void write(const std::string& device_path, const std::string& content) const {
    std::filesystem::path p = path_.string() + device_path;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << content;
  }
  void make_dir(const std::string& device_path) const { std::filesystem::create_directories(path_.string() + device_path); }

 private:
  std::filesystem::path path_;
};

}  // namespace ew::device::test
