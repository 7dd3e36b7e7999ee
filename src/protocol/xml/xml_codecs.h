// The XML-family codecs: query, ec2 and rest-xml.
#pragma once

#include "protocol/codec.h"

namespace nimbus::protocol {

const Codec& query_codec();
const Codec& ec2_codec();
const Codec& rest_xml_codec();

}  // namespace nimbus::protocol
