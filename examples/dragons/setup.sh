#!/bin/sh
# Sets up the Dragons data with the aws CLI only: a bucket holding the dataset (as one JSON
# document and as JSON lines) and the two SSM parameters the programs read.
#
#   export AWS_ENDPOINT_URL=http://localhost:4566 AWS_ACCESS_KEY_ID=test \
#          AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
#   ./setup.sh [bucket-name]
#
# DRAGON_BUCKET (or the first argument) names the bucket; the default is dragon-data.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bucket=${1:-${DRAGON_BUCKET:-dragon-data}}
document=dragon_stats_one.txt
lines=dragon_stats_one.jsonl

# CLI v2 before 2.13 ignores AWS_ENDPOINT_URL, so pass it on explicitly when it is set.
aws_cli() {
  if [ -n "${AWS_ENDPOINT_URL:-}" ]; then
    aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"
  else
    aws "$@"
  fi
}

if [ ! -f "$here/data/$document" ] || [ ! -f "$here/data/$lines" ]; then
  python3 "$here/generate_dragons.py" --out "$here/data"
fi

if aws_cli s3api head-bucket --bucket "$bucket" >/dev/null 2>&1; then
  echo "bucket $bucket already exists"
else
  aws_cli s3 mb "s3://$bucket"
fi
aws_cli s3 cp --no-progress "$here/data/$document" "s3://$bucket/$document"
aws_cli s3 cp --no-progress "$here/data/$lines" "s3://$bucket/$lines"

aws_cli ssm put-parameter --name dragon_data_bucket_name --type String --value "$bucket" \
  --overwrite --output text >/dev/null
aws_cli ssm put-parameter --name dragon_data_file_name --type String --value "$document" \
  --overwrite --output text >/dev/null

echo "dragon_data_bucket_name = $(aws_cli ssm get-parameter --name dragon_data_bucket_name \
  --query Parameter.Value --output text)"
echo "dragon_data_file_name   = $(aws_cli ssm get-parameter --name dragon_data_file_name \
  --query Parameter.Value --output text)"
