#include "train/checkpoint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace ew::train {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the system temp directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = (fs::temp_directory_path() /
             ("ew_ckpt_" + std::string(info->name()) + "_" + std::to_string(::getpid())))
                .string();
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return (fs::path(path_) / name).string(); }

 private:
  std::string path_;
};

template <typename T>
Tensor make(const Shape& shape, const std::vector<T>& v) { return Tensor::from_vector<T>(shape, v).value(); }

TrainingState sample_state(int64_t step = 42) {
  TrainingState s;
  s.step = step;
  s.epoch = 3;
  s.batch_in_epoch = 7;
  s.parameters["conv.weight"] = make<float>({2, 1, 2}, {1.5f, -2.25f, 3e-8f, NAN});
  s.parameters["fc.bias"] = make<float>({3}, {0, -0.0f, INFINITY});
  s.parameters["scalar"] = Tensor::scalar<float>(7.0f).value();
  s.parameters["empty"] = Tensor::create(DType::kFloat32, {0, 4}).value();
  s.buffers["bn.running_mean"] = make<double>({2}, {1e300, -1e-300});
  s.buffers["bn.num_batches"] = Tensor::scalar<int64_t>(int64_t{1} << 40).value();
  s.buffers["mask"] = make<bool>({3}, {true, false, true});
  s.buffers["half"] = make<float16>({2}, {float16(1.5f), float16(-2.0f)});
  s.buffers["bf"] = make<bfloat16>({1}, {bfloat16(3.0f)});
  s.buffers["bytes"] = make<uint8_t>({4}, {0, 1, 254, 255});
  s.optimizer["step"] = Tensor::scalar<int64_t>(step).value();
  s.optimizer["exp_avg/conv.weight"] = make<float>({2, 1, 2}, {0.1f, 0.2f, 0.3f, 0.4f});
  s.optimizer_steps = step;
  std::mt19937_64 rng(1234);
  rng.discard(17);
  std::ostringstream rs;
  rs << rng;
  s.rng_state = rs.str();
  s.data_order = {4, 0, 3, 1, 2, int64_t{1} << 50};
  s.fingerprint = "model sha256:abc; adamw lr=1e-3";
  s.meta_json = R"({"losses": [2.3, 1.1], "name": "caf\u00e9 \u0000"})";
  s.meta_json += std::string("\0binary\xff", 8);
  return s;
}

void expect_same_tensors(const std::map<std::string, Tensor>& a, const std::map<std::string, Tensor>& b,
                         const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (const auto& [name, t] : a) {
    ASSERT_TRUE(b.count(name)) << what << " lost " << name;
    const Tensor& u = b.at(name);
    EXPECT_EQ(t.dtype(), u.dtype()) << name;
    EXPECT_EQ(t.shape(), u.shape()) << name;
    ASSERT_EQ(t.nbytes(), u.nbytes()) << name;
    EXPECT_EQ(std::memcmp(t.raw(), u.raw(), t.nbytes()), 0) << name << " bytes differ";
  }
}

void expect_same_state(const TrainingState& a, const TrainingState& b) {
  EXPECT_EQ(a.step, b.step);
  EXPECT_EQ(a.epoch, b.epoch);
  EXPECT_EQ(a.batch_in_epoch, b.batch_in_epoch);
  EXPECT_EQ(a.optimizer_steps, b.optimizer_steps);
  EXPECT_EQ(a.rng_state, b.rng_state);
  EXPECT_EQ(a.data_order, b.data_order);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.meta_json, b.meta_json);
  expect_same_tensors(a.parameters, b.parameters, "parameters");
  expect_same_tensors(a.buffers, b.buffers, "buffers");
  expect_same_tensors(a.optimizer, b.optimizer, "optimizer");
}

std::string serialize(const TrainingState& s) {
  auto r = serialize_checkpoint(s);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return r.is_ok() ? *r : "";
}

// A small state whose file is short enough to corrupt at every byte.
TrainingState small_state(int64_t step) {
  TrainingState s;
  s.step = step;
  s.parameters["w"] = make<float>({2}, {1, 2});
  s.buffers["b"] = make<int64_t>({1}, {5});
  s.optimizer["step"] = Tensor::scalar<int64_t>(step).value();
  s.data_order = {1, 0};
  s.fingerprint = "fp";
  s.meta_json = "{}";
  return s;
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Checkpoint, RoundTripIsExactForEveryField) {
  const TrainingState s = sample_state();
  const std::string bytes = serialize(s);
  auto back = parse_checkpoint(bytes, "mem");
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  expect_same_state(s, *back);
  EXPECT_EQ(serialize(*back), bytes) << "serializing is deterministic";
  std::mt19937_64 a(1234), b;
  a.discard(17);
  std::istringstream(back->rng_state) >> b;
  EXPECT_EQ(a(), b()) << "the rng continues where it was";

  TempDir dir;
  ASSERT_TRUE(save_checkpoint(dir.path(), s).is_ok());
  auto loaded = load_latest_checkpoint(dir.path());
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  expect_same_state(s, *loaded);
  EXPECT_TRUE(fs::exists(dir.file("ckpt-42.ewck")));
}

TEST(Checkpoint, EmptyStateRoundTrips) {
  auto back = parse_checkpoint(serialize(TrainingState{}), "mem");
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  expect_same_state(TrainingState{}, *back);
}

TEST(Checkpoint, FlippedByteAnywhereIsCaught) {
  const std::string good = serialize(small_state(5));
  ASSERT_LT(good.size(), 1000u);
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    auto r = parse_checkpoint(bad, "f.ewck");
    ASSERT_FALSE(r.is_ok()) << "flip at " << i;
    const std::string& m = r.status().message();
    EXPECT_EQ(m.rfind("f.ewck: ", 0), 0u) << m;
    const char* needle = i < 4 ? "bad magic" : i < 8 ? "version" : "checksum mismatch";
    EXPECT_NE(m.find(needle), std::string::npos) << "flip at " << i << ": " << m;
  }
}

TEST(Checkpoint, TruncationAtEveryLengthIsAnError) {
  const std::string good = serialize(small_state(5));
  for (size_t n = 0; n < good.size(); ++n) {
    auto r = parse_checkpoint(good.substr(0, n), "t.ewck");
    ASSERT_FALSE(r.is_ok()) << "length " << n;
    EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << n << ": " << r.status().message();
  }
  EXPECT_FALSE(parse_checkpoint(good + "x", "t.ewck").is_ok()) << "a trailing byte";
}

TEST(Checkpoint, WrongMagicAndVersionAreNamed) {
  std::string bytes = serialize(small_state(1));
  std::string magic = bytes;
  magic.replace(0, 4, "PK\x03\x04");
  EXPECT_NE(parse_checkpoint(magic, "x").status().message().find("bad magic"), std::string::npos);
  EXPECT_NE(parse_checkpoint("", "x").status().message().find("truncated"), std::string::npos);
  std::string version = bytes;
  version[4] = 2;
  auto r = parse_checkpoint(version, "x");
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(r.status().message().find("unsupported version 2"), std::string::npos) << r.status().message();
}

TEST(Checkpoint, SerializeRejectsWhatCannotBeRead) {
  TrainingState s = small_state(1);
  s.parameters["undefined"] = Tensor();
  EXPECT_NE(serialize_checkpoint(s).status().message().find("'undefined'"), std::string::npos);
  s = small_state(1);
  s.step = -1;
  EXPECT_NE(serialize_checkpoint(s).status().message().find("step"), std::string::npos);
  s = small_state(1);
  s.rng_state = "not an engine";
  EXPECT_NE(serialize_checkpoint(s).status().message().find("rng_state"), std::string::npos);
  s = small_state(1);
  s.data_order = {0, -3};
  EXPECT_NE(serialize_checkpoint(s).status().message().find("data_order[1]"), std::string::npos);
}

TEST(Checkpoint, KeepsTheNewestN) {
  TempDir dir;
  for (int64_t step : {10, 20, 30, 40, 50}) ASSERT_TRUE(save_checkpoint(dir.path(), small_state(step), 3).is_ok());
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"ckpt-30.ewck", "ckpt-40.ewck", "ckpt-50.ewck"}));
  ASSERT_TRUE(save_checkpoint(dir.path(), small_state(60), 1).is_ok());
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
  EXPECT_EQ(load_latest_checkpoint(dir.path())->step, 60);
  EXPECT_FALSE(save_checkpoint(dir.path(), small_state(70), 0).is_ok());
}

TEST(Checkpoint, NumericOrderNotNameOrder) {
  TempDir dir;
  for (int64_t step : {9, 100, 20}) ASSERT_TRUE(save_checkpoint(dir.path(), small_state(step), 5).is_ok());
  EXPECT_EQ(load_latest_checkpoint(dir.path())->step, 100);
}

TEST(Checkpoint, LeftoverTempFileDoesNotBreakLoading) {
  TempDir dir;
  ASSERT_TRUE(save_checkpoint(dir.path(), small_state(10)).is_ok());
  const std::string full = serialize(small_state(20));
  const std::string tmp = dir.file(".ckpt-20.ewck.tmp.99999");
  write_file(tmp, full.substr(0, full.size() / 2));  // a save that crashed mid-write
  std::string warning = "stale";
  auto s = load_latest_checkpoint(dir.path(), &warning);
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  EXPECT_EQ(s->step, 10);
  EXPECT_EQ(warning, "");
  ASSERT_TRUE(save_checkpoint(dir.path(), small_state(30)).is_ok());
  EXPECT_FALSE(fs::exists(tmp)) << "the next save removes the leftover";
}

TEST(Checkpoint, TruncatedNewestFallsBackOnlyWhenAllowed) {
  TempDir dir;
  ASSERT_TRUE(save_checkpoint(dir.path(), small_state(10)).is_ok());
  ASSERT_TRUE(save_checkpoint(dir.path(), small_state(20)).is_ok());
  const std::string newest = dir.file("ckpt-20.ewck");
  const std::string bytes = read_file(newest);
  write_file(newest, bytes.substr(0, bytes.size() - 7));

  auto strict = load_latest_checkpoint(dir.path());
  ASSERT_FALSE(strict.is_ok());
  EXPECT_NE(strict.status().message().find("ckpt-20.ewck"), std::string::npos) << strict.status().message();
  EXPECT_NE(strict.status().message().find("truncated"), std::string::npos) << strict.status().message();

  std::string warning;
  auto lenient = load_latest_checkpoint(dir.path(), &warning);
  ASSERT_TRUE(lenient.is_ok()) << lenient.status().to_string();
  EXPECT_EQ(lenient->step, 10);
  EXPECT_NE(warning.find("ckpt-20.ewck"), std::string::npos) << warning;
  EXPECT_NE(warning.find("truncated"), std::string::npos) << warning;
  EXPECT_NE(warning.find("ckpt-10.ewck"), std::string::npos) << warning;
}

TEST(Checkpoint, NoIntactFileNamesEveryProblem) {
  TempDir dir;
  ASSERT_TRUE(save_checkpoint(dir.path(), small_state(1), 5).is_ok());
  ASSERT_TRUE(save_checkpoint(dir.path(), small_state(2), 5).is_ok());
  std::string one = read_file(dir.file("ckpt-1.ewck"));
  one[one.size() / 2] ^= 1;
  write_file(dir.file("ckpt-1.ewck"), one);
  write_file(dir.file("ckpt-2.ewck"), "garbage!garbage!garbage!");
  std::string warning;
  auto r = load_latest_checkpoint(dir.path(), &warning);
  ASSERT_FALSE(r.is_ok());
  const std::string& m = r.status().message();
  EXPECT_NE(m.find("ckpt-2.ewck: bad magic"), std::string::npos) << m;
  EXPECT_NE(m.find("ckpt-1.ewck: checksum mismatch"), std::string::npos) << m;
}

TEST(Checkpoint, AFileWhoseStepDisagreesWithItsNameIsSkipped) {
  TempDir dir;
  ASSERT_TRUE(save_checkpoint(dir.path(), small_state(10)).is_ok());
  fs::copy_file(dir.file("ckpt-10.ewck"), dir.file("ckpt-99.ewck"));
  std::string warning;
  auto r = load_latest_checkpoint(dir.path(), &warning);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->step, 10);
  EXPECT_NE(warning.find("ckpt-99.ewck"), std::string::npos) << warning;
}

TEST(Checkpoint, MissingAndUnwritableDirectoriesAreClearErrors) {
  TempDir dir;
  EXPECT_EQ(load_latest_checkpoint(dir.file("absent")).status().code(), StatusCode::kNotFound);
  auto none = load_latest_checkpoint(dir.path());
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_NE(none.status().message().find("no checkpoint"), std::string::npos);
  EXPECT_EQ(read_checkpoint_file(dir.file("nope.ewck")).status().code(), StatusCode::kNotFound);

  write_file(dir.file("plain-file"), "x");
  Status st = save_checkpoint(dir.file("plain-file/sub"), small_state(1));
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), StatusCode::kIoError);
  EXPECT_NE(st.message().find("plain-file/sub"), std::string::npos) << st.message();

  Status proc = save_checkpoint("/proc/ew-checkpoints", small_state(1));
  ASSERT_FALSE(proc.is_ok());
  EXPECT_NE(proc.message().find("/proc/ew-checkpoints"), std::string::npos) << proc.message();

  if (::geteuid() != 0) {  // root writes anywhere; the permission case needs a normal user
    const std::string ro = dir.file("readonly");
    fs::create_directories(ro);
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
    Status denied = save_checkpoint(ro, small_state(1));
    fs::permissions(ro, fs::perms::owner_all);
    ASSERT_FALSE(denied.is_ok());
    EXPECT_NE(denied.message().find("Permission denied"), std::string::npos) << denied.message();
  }
}

TEST(Checkpoint, FingerprintMismatchIsAnError) {
  TrainingState s = small_state(1);
  EXPECT_TRUE(check_fingerprint(s, "fp").is_ok());
  Status st = check_fingerprint(s, "other");
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("'other'"), std::string::npos);
}

}  // namespace
}  // namespace ew::train
