"""Files through the API, as the web takes them: one upload path for applications and reports.

The web's ``AttachmentForm`` checks the file (type, size, content as the name says); the service
given stores it under the row's lock and refuses once the application or report is submitted.
A refusal is the web's words as data: 422 ``invalid`` for the form, 422 ``upload_refused``.
"""

from collections.abc import Callable

from ninja import UploadedFile

from tilskudd.api.errors import Refused, invalid
from tilskudd.api.serialise import local
from tilskudd.applications.forms import AttachmentForm
from tilskudd.applications.messages import upload_message
from tilskudd.applications.uploads import ALLOWED, UploadRefused

FILE_RESPONSE = {
    "responses": {
        "200": {
            "description": "The file, under the name it was uploaded with",
            "content": {
                kind: {"schema": {"type": "string", "format": "binary"}} for kind in ALLOWED.values()
            },
        }
    }
}


def accept_upload(file: UploadedFile, store: Callable):
    """``store(upload)`` with the file the web's form accepted; what it returns (the stored attachment)."""
    form = AttachmentForm(data={}, files={"file": file})
    if not form.is_valid():
        raise invalid(form)
    try:
        return store(form.cleaned_data["file"])
    except UploadRefused as refused:
        message = upload_message(refused)
        raise Refused(422, "upload_refused", message, fields={"file": [message]}) from None


def as_attachment(attachment) -> dict:
    """An application's or a report's file, as metadata."""
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "uploaded_at": local(attachment.uploaded_at),
    }
