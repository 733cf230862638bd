"""Where private files live, from ``STORAGE_URL``: the settings' one reading of it.

Empty: a private directory on local disk (``DOCUMENTS_ROOT``), the embedded
default. ``s3://bucket/prefix?endpoint_url=…&region=…``: a bucket of any
S3-compatible object store (AWS S3, MinIO, Ceph, Garage…), through
``policyflow.storage.PrivateS3Storage``. Credentials are not part of the
URL: boto3 reads ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY`` (or an
instance role) as it always does.

Kept apart from the backend so that reading the settings never imports boto3.
"""

from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured

# What the query string may say, and the backend option each becomes.
S3_OPTIONS = {
    "endpoint_url": "endpoint_url",
    "region": "region_name",
    "addressing_style": "addressing_style",
    "public_endpoint_url": "public_endpoint_url",
    "verify": "verify",
}


def private_storage(url, *, documents_root, link_seconds, spool_bytes):
    """The ``STORAGES["default"]`` entry for ``url`` (see the module docstring)."""
    if not url:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": documents_root, "base_url": None},
        }
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(f"STORAGE_URL must start with s3://, not {parts.scheme}://.")
    if not parts.hostname or parts.username or parts.password:
        raise ImproperlyConfigured(
            "STORAGE_URL names a bucket (s3://bucket/prefix); credentials go in "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, never in the URL."
        )
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    unknown = sorted(set(query) - set(S3_OPTIONS))
    if unknown:
        raise ImproperlyConfigured(
            f"STORAGE_URL does not know {', '.join(unknown)}; it knows {', '.join(S3_OPTIONS)}."
        )
    options = {
        # The bucket name as written: urlsplit would lower-case the host part.
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "querystring_expire": link_seconds,
        "max_memory_size": spool_bytes,
    }
    for key, values in query.items():
        options[S3_OPTIONS[key]] = values[-1]
    if "verify" in options:
        # Off, on, or the path of a CA bundle for a private endpoint's certificate.
        flag = options["verify"].lower()
        if flag in ("0", "false", "no", "1", "true", "yes"):
            options["verify"] = flag in ("1", "true", "yes")
    return {"BACKEND": "policyflow.storage.PrivateS3Storage", "OPTIONS": options}
