"""Search: the policies, decisions, version texts, translations and letters the caller may see."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.search import SearchInputSerializer, SearchResultsSerializer
from workflow.search.query import search


class Search(APIView):
    """Policies whose title, summary, decisions, version notes, version texts,
    translations or official letters hold the words searched for, by country
    and short title, twenty a page; in each, the first matching places with
    the words marked."""

    @extend_schema(parameters=[SearchInputSerializer], responses=SearchResultsSerializer)
    def get(self, request):
        given = SearchInputSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        options = given.validated_data
        results = search(
            request.user,
            options["q"],
            country=options.get("country", ""),
            state=options.get("state", ""),
            current_only=options["current"],
            page=options["page"],
        )
        return Response(SearchResultsSerializer(results, context={"request": request}).data)
