# Polls an S3 listing for bench_replicate_s3.sh: python3 bench/replicate_s3_watch.py BUCKET PREFIX [PERIOD_S]
# prints "epoch_ms key size" for every key of every listing (ListObjectsV2, AWS_* environment), until killed.
import os
import sys
import time

import botocore.session

bucket, prefix = sys.argv[1], sys.argv[2]
period = float(sys.argv[3]) if len(sys.argv) > 3 else 0.05
s3 = botocore.session.get_session().create_client(
    "s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ.get("AWS_REGION", "us-east-1"))
while True:
    now = int(time.time() * 1000)
    token = None
    while True:
        args = {"Bucket": bucket, "Prefix": prefix}
        if token:
            args["ContinuationToken"] = token
        page = s3.list_objects_v2(**args)
        for o in page.get("Contents", []):
            print(now, o["Key"], o["Size"], flush=False)
        token = page.get("NextContinuationToken")
        if not token:
            break
    sys.stdout.flush()
    time.sleep(period)
