"""Private files in an S3-compatible bucket: the backend ``STORAGE_URL`` selects.

django-storages' ``S3Storage``, set up for files that are private and
written once:

- objects are never public (no ACL is sent; the bucket's own policy keeps
  them private) and are handed out only through signed links that expire
  within minutes (``attachment_url``), after the app has checked who asks;
- a name already taken is never overwritten (``file_overwrite`` off): a
  stored version's bytes cannot be replaced through the storage either;
- checksums are sent only where S3 requires them, which every
  S3-compatible store accepts;
- uploads stream in parts from one thread, so a 25 MiB upload holds one
  part in memory at a time, not ten; reads spool to disk past
  ``max_memory_size`` instead of holding the whole file in memory.

``public_endpoint_url`` is for object stores that the servers reach at one
address and browsers at another (MinIO at http://minio:9000 inside a
Compose network, https://files.example.org outside): links are signed for
the public address; every other request goes to ``endpoint_url``.
"""

import functools

from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

# Files above 8 MiB go up in 8 MiB parts (S3 takes 5 MiB and more), one
# after the other: one part in memory at a time.
TRANSFER = TransferConfig(
    multipart_threshold=8 * 1024 * 1024,
    multipart_chunksize=8 * 1024 * 1024,
    use_threads=False,
)

# Checksums only where S3 requires them (botocore's default before 1.36):
# several S3-compatible stores refuse the checksum headers newer botocore sends.
COMPATIBLE_CHECKSUMS = Config(
    request_checksum_calculation="when_required",
    response_checksum_validation="when_required",
)


class PrivateS3Storage(S3Storage):
    def __init__(self, **settings):
        super().__init__(**settings)
        self.client_config = self.client_config.merge(COMPATIBLE_CHECKSUMS)

    def get_default_settings(self):
        return {
            **super().get_default_settings(),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
            "signature_version": "s3v4",
            "transfer_config": TRANSFER,
            "public_endpoint_url": None,
        }

    def attachment_url(self, name, *, filename, content_type):
        """A signed link that downloads ``name`` as the attachment ``filename``.

        The object store answers it with these headers, whatever the object
        was stored with, until the link expires (``querystring_expire``).
        """
        parameters = {
            "ResponseContentDisposition": content_disposition_header(True, filename),
            "ResponseContentType": content_type,
            "ResponseCacheControl": "private, no-store",
        }
        if not self.public_endpoint_url:
            return self.url(name, parameters=parameters)
        return self._public_client.generate_presigned_url(
            "get_object",
            Params={
                **parameters,
                "Bucket": self.bucket_name,
                "Key": self._normalize_name(clean_name(name)),
            },
            ExpiresIn=self.querystring_expire,
        )

    @functools.cached_property
    def _public_client(self):
        # Only signs links (no request goes out), so one client serves every thread.
        return self._create_session().client(
            "s3",
            region_name=self.region_name,
            endpoint_url=self.public_endpoint_url,
            config=self.client_config,
        )
