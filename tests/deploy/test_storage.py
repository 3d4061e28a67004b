"""Uploaded files: the filesystem by default, an S3-compatible object store when TREMPLIN_S3_BUCKET is set."""

from django.core.files.storage import storages
from django.utils.module_loading import import_string

from config.settings.base import uploaded_files_storage


def test_uploaded_files_stay_on_the_filesystem_by_default():
    assert uploaded_files_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storages["default"].__class__.__name__ == "FileSystemStorage"


def test_an_s3_bucket_moves_them_to_the_object_store_privately():
    setting = uploaded_files_storage(
        {
            "TREMPLIN_S3_BUCKET": "tremplin-fichiers",
            "TREMPLIN_S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
            "TREMPLIN_S3_REGION": "fr-par",
            "TREMPLIN_S3_ACCESS_KEY_ID": "SCWXXXX",
            "TREMPLIN_S3_SECRET_ACCESS_KEY": "secret",
        }
    )
    storage = import_string(setting["BACKEND"])(**setting["OPTIONS"])
    assert storage.bucket_name == "tremplin-fichiers"
    assert storage.endpoint_url == "https://s3.fr-par.scw.cloud" and storage.region_name == "fr-par"
    # Private objects, reached through signed URLs only; an upload never replaces another file.
    assert storage.default_acl is None and storage.querystring_auth is True and storage.file_overwrite is False
    assert storage.url("jobs/2026/12/export.xlsx").startswith(
        "https://s3.fr-par.scw.cloud/tremplin-fichiers/jobs/2026/12/export.xlsx?"
    )
