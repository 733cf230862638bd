"""Small shapes the API's resources share."""

from rest_framework import serializers

# The largest id a row can have (a BigAutoField's, a signed 64-bit integer): a
# list filtered by an id refuses a larger one. Past it, a filter through a
# foreign key reaches the database, which cannot compare with it (a 500).
LARGEST_ID = 2**63 - 1


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    short_name = serializers.CharField()


class OrganizationSerializer(OrganizationRefSerializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")


class ProjectRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    short_name = serializers.CharField()


class ProjectSerializer(ProjectRefSerializer):
    implementer = OrganizationRefSerializer()
