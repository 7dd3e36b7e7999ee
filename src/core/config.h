// nimbus serve's settings: flags, each also read from a NIMBUS_* variable.
#pragma once

#include <string>

namespace nimbus {

enum class AuthMode { Permissive, Strict };

struct Config {
  std::string host = "127.0.0.1";
  int port = 4566;
  std::string data_dir = "./.nimbus";
  bool in_memory = false;
  AuthMode auth = AuthMode::Permissive;
  std::string region = "us-east-1";
  std::string log_level = "info";
  std::string default_account = "000000000000";
  int threads = 0;  // 0: one per core
  std::string instance_role;  // role served by the instance-metadata endpoint (name or ARN)
};

}  // namespace nimbus
