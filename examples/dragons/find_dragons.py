"""Finds dragons with S3 Select WHERE clauses, so S3 filters the data, not the program.

The course's listDragons, with filters: by name, by family and by location (city, state,
country). Settings come from SSM Parameter Store like listDragons's.

    python3 find_dragons.py --name Atlas
    python3 find_dragons.py --family red --country usa
    python3 find_dragons.py --city kyoto --lines      # query the JSON lines copy

The JSON document is an array, so its dragons are S3Object[*][*]; in the JSON lines copy
(--lines) each line is a record, so they are S3Object.
"""

import argparse

import boto3

FIELDS = {
    "name": "dragon_name_str",
    "family": "family_str",
    "city": "location_city_str",
    "state": "location_state_str",
    "country": "location_country_str",
}


def sql_literal(text):
    return "'" + text.replace("'", "''") + "'"


def build_expression(args, lines):
    source = "S3Object s" if lines else "S3Object[*][*] s"
    where = [f"s.{field} = {sql_literal(getattr(args, flag))}"
             for flag, field in FIELDS.items() if getattr(args, flag)]
    expression = f"select * from {source}"
    if where:
        expression += " where " + " and ".join(where)
    return expression


def find_dragons(args):
    s3 = boto3.resource('s3', 'us-east-1').meta.client
    ssm = boto3.client('ssm', 'us-east-1')
    bucket_name = ssm.get_parameter(Name='dragon_data_bucket_name')['Parameter']['Value']
    file_name = ssm.get_parameter(Name='dragon_data_file_name')['Parameter']['Value']
    if args.lines:
        file_name = file_name.rsplit('.', 1)[0] + '.jsonl'
    result = s3.select_object_content(
        Bucket=bucket_name,
        Key=file_name,
        ExpressionType='SQL',
        Expression=build_expression(args, args.lines),
        InputSerialization={'JSON': {'Type': 'LINES' if args.lines else 'DOCUMENT'}},
        OutputSerialization={'JSON': {}},
    )
    for event in result['Payload']:
        if 'Records' in event:
            print(event['Records']['Payload'].decode('utf-8'), end='')


def main():
    parser = argparse.ArgumentParser(description="Find dragons with S3 Select.")
    for flag in FIELDS:
        parser.add_argument(f"--{flag}", help=f"exact {FIELDS[flag]}")
    parser.add_argument("--lines", action="store_true",
                        help="query the JSON lines copy of the data")
    find_dragons(parser.parse_args())


if __name__ == "__main__":
    main()
