"""The file to give ``spark-submit`` (it needs a path, not a module):

    spark-submit --master spark://head:7077 "$(python -c 'import khabar.scale.submit as m; print(m.__file__)')" \\
        /shared/cc-news/*.warc.gz --out /shared/khabar-out

Absolute imports only, so it runs as a plain script on the driver.
"""
import sys

from khabar.scale.job import main

if __name__ == "__main__":
    sys.exit(main())
