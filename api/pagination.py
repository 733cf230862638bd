"""How the API's lists are cut into pages."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class Pages(PageNumberPagination):
    """``?page=N`` (and ``page_size`` up to 200); the default is the web list's 50."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class Newest(CursorPagination):
    """An opaque cursor, newest first: stable while new rows arrive."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-at", "-pk")
