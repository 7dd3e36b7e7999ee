// The JSON-family codecs: json 1.0/1.1, rest-json and smithy-rpc-v2-cbor.
#pragma once

#include "protocol/codec.h"

namespace nimbus::protocol {

const Codec& json_codec();
const Codec& rest_json_codec();
const Codec& cbor_codec();

}  // namespace nimbus::protocol
