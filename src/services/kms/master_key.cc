// Master key files: created exclusively with mode 0600 so two starts cannot race to
// different keys, read back on every later start. Cached per data dir.
#include "services/kms/master_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>

#include "core/crypto.h"
#include "services/kms/key_material.h"

namespace nimbus::kms {
namespace {

std::mutex g_mu;
std::map<std::string, std::string> g_keys;  // data dir ("" in memory) -> key

std::string read_or_create(const std::string& dir) {
  std::string path = dir + "/" + kMasterKeyFileName;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    std::string key = random_bytes(crypto::kAes256Bytes);
    bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw std::runtime_error("kms: cannot write " + path);
    return key;
  }
  if (errno != EEXIST) throw std::runtime_error("kms: cannot create " + path + ": " + std::strerror(errno));
  fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("kms: cannot open " + path + ": " + std::strerror(errno));
  std::string key(crypto::kAes256Bytes + 1, '\0');
  ssize_t n = ::read(fd, key.data(), key.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(crypto::kAes256Bytes))
    throw std::runtime_error("kms: " + path + " is not a 32-byte master key");
  key.resize(crypto::kAes256Bytes);
  return key;
}

}  // namespace

const std::string& master_key(const Env& env) {
  bool in_memory = !env.config || env.config->in_memory || env.config->data_dir.empty();
  std::string dir = in_memory ? std::string() : env.config->data_dir;
  std::lock_guard<std::mutex> lock(g_mu);
  auto it = g_keys.find(dir);
  if (it == g_keys.end()) {
    std::string key = in_memory ? random_bytes(crypto::kAes256Bytes) : read_or_create(dir);
    it = g_keys.emplace(dir, std::move(key)).first;
  }
  return it->second;
}

std::string wrap_material(const Env& env, std::string_view material, std::string_view aad) {
  return crypto::aes_gcm_seal(master_key(env), material, aad);
}

std::string unwrap_material(const Env& env, std::string_view wrapped, std::string_view aad) {
  auto plain = crypto::aes_gcm_open(master_key(env), wrapped, aad);
  if (!plain) throw std::runtime_error("kms: key material does not unwrap under this data dir's master key");
  return *plain;
}

}  // namespace nimbus::kms
