"""An address under the API that names nothing: a 404 in the API's own shape."""

from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView


class NoSuchResource(APIView):
    """Every method answers 404 (problem details), signed in or not."""

    authentication_classes = []
    permission_classes = [AllowAny]
    schema = None  # not an operation

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound()
