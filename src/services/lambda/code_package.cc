// Zip checks (a walk of the central directory for the unzipped size), blob storage and
// unpacking with the system's `unzip` (scripts/install-deps.sh installs it).
#include "services/lambda/code_package.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <spawn.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>

#include "core/crypto.h"
#include "core/ids.h"
#include "services/lambda/function_store.h"
#include "services/lambda/lambda_errors.h"
#include "store/database.h"
#include "store/blob_store.h"
#ifdef NIMBUS_LAMBDA_WITH_S3
#include "services/s3/s3_api.h"
#endif

extern char** environ;

namespace nimbus::lambda {
namespace {

constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr uint32_t kCentralDirectoryEntry = 0x02014b50;
constexpr size_t kEocdSize = 22;
constexpr size_t kCentralEntrySize = 46;
constexpr size_t kMaxZipComment = 65535;

uint32_t le32(const std::string& s, size_t at) {
  return uint32_t(uint8_t(s[at])) | uint32_t(uint8_t(s[at + 1])) << 8 |
         uint32_t(uint8_t(s[at + 2])) << 16 | uint32_t(uint8_t(s[at + 3])) << 24;
}
uint16_t le16(const std::string& s, size_t at) {
  return uint16_t(uint8_t(s[at]) | uint8_t(s[at + 1]) << 8);
}

// The total uncompressed size of a zip's entries; nullopt when it is not a zip.
std::optional<uint64_t> unzipped_size(const std::string& zip) {
  if (zip.size() < kEocdSize) return std::nullopt;
  size_t lowest = zip.size() > kEocdSize + kMaxZipComment ? zip.size() - kEocdSize - kMaxZipComment : 0;
  for (size_t at = zip.size() - kEocdSize + 1; at-- > lowest;) {
    if (le32(zip, at) != kEndOfCentralDirectory) continue;
    uint16_t entries = le16(zip, at + 10);
    size_t pos = le32(zip, at + 16);
    uint64_t total = 0;
    for (uint16_t i = 0; i < entries; ++i) {
      if (pos + kCentralEntrySize > zip.size() || le32(zip, pos) != kCentralDirectoryEntry)
        return std::nullopt;
      total += le32(zip, pos + 24);
      pos += kCentralEntrySize + le16(zip, pos + 28) + le16(zip, pos + 30) + le16(zip, pos + 32);
    }
    return total;
  }
  return std::nullopt;
}

std::string read_from_s3(const Call& call, const Document& code) {
  In in(code);
  std::string bucket = in.string("S3Bucket"), key = in.string("S3Key");
#ifdef NIMBUS_LAMBDA_WITH_S3
  s3::ObjectRead got = s3::read_object(*call.env, bucket, key, in.optional_string("S3ObjectVersion"));
  if (got.error == "NoSuchBucket")
    throw invalid_parameter("Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist");
  if (!got.error.empty())
    throw invalid_parameter("Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.");
  return std::move(got.bytes);
#else
  throw AwsError("ServiceException", "nimbus was built without S3: use ZipFile for " + bucket + "/" + key, 500);
#endif
}

int run(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

CodePackage store_code(const Call& call, const Document& code, std::string_view operation) {
  In in(code);
  if (in.has("ImageUri"))
    throw invalid_parameter("nimbus does not run container images: PackageType Image needs a container engine, which nimbus does not require. Use PackageType Zip.");
  std::string zip;
  if (auto z = in.optional_string("ZipFile")) {
    if (z->size() > kMaxDirectZipBytes)
      throw too_large("Request must be smaller than " + std::to_string(kMaxRequestBytesText) +
                      " bytes for the " + std::string(operation) + " operation");
    zip = std::move(*z);
  } else if (in.has("S3Bucket") && in.has("S3Key")) {
    zip = read_from_s3(call, code);
  } else {
    throw invalid_parameter("Please provide a source for function code.");
  }
  auto size = unzipped_size(zip);
  if (!size) throw invalid_parameter("Could not unzip uploaded file. Please check your file, then try to upload again.");
  if (*size > kMaxUnzippedBytes)
    throw invalid_parameter("Unzipped size must be smaller than " + std::to_string(kMaxUnzippedBytes) + " bytes");
  {
    store::Snapshot snap(*call.env->db);
    if (total_code_size(snap, Scope{call.account, call.region}) + int64_t(zip.size()) > kMaxCodeStorageBytes)
      throw AwsError("CodeStorageExceededException", "Code storage limit exceeded.", 400);
  }
  CodePackage p;
  p.sha256 = base64_encode(sha256(zip));
  p.size = int64_t(zip.size());
  p.blob_id = call.env->blobs->put(zip);
  return p;
}

std::string unpacked_dir(const Env& env, const std::string& work_root, const std::string& blob_id) {
  static std::mutex mu;  // one unpack at a time: two cold starts of one function share it
  namespace fs = std::filesystem;
  fs::path dir = fs::path(work_root) / "code" / blob_id;
  std::lock_guard<std::mutex> lock(mu);
  if (fs::exists(dir)) return dir.string();
  fs::path tmp = fs::path(work_root) / "code" / (blob_id + ".tmp-" + new_hex(8));
  fs::create_directories(tmp);
  if (run({"unzip", "-q", "-o", env.blobs->path(blob_id), "-d", tmp.string()}) > 1) {
    fs::remove_all(tmp);
    throw AwsError("ServiceException", "could not unpack the function's code", 500);
  }
  // Custom runtimes start ./bootstrap: zips made on Windows lose the executable bit.
  if (fs::exists(tmp / "bootstrap")) ::chmod((tmp / "bootstrap").c_str(), 0755);
  fs::rename(tmp, dir);
  return dir.string();
}

void discard_code(const Env& env, const std::string& work_root, const std::string& blob_id) {
  env.blobs->remove(blob_id);
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(work_root) / "code" / blob_id, ec);
}

}  // namespace nimbus::lambda
