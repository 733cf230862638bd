"""Small shapes the API's resources share."""

from rest_framework import serializers


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
