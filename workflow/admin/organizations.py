"""Reference data: organisations, their members, projects and themes.

Superusers edit it; anyone else in the admin reads what their pages show
(``workflow.admin.access``).
"""

from django.contrib import admin

from workflow.admin import access
from workflow.models import Membership, Organization, Project, Theme


class MembershipInline(access.ReferenceDataAccess, admin.TabularInline):
    model = Membership
    extra = 0

    def in_view(self, user, queryset):
        return queryset.filter(pk__in=access.memberships_in_view(user).values("pk"))


@admin.register(Organization)
class OrganizationAdmin(access.ReferenceDataAccess, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    inlines = [MembershipInline]

    def in_view(self, user, queryset):
        return queryset.filter(pk__in=access.organisations_in_view(user).values("pk"))

    def has_delete_permission(self, request, obj=None):
        # Policies and their records name organisations; deleting one would
        # quietly drop it from the institutions a policy needs.
        return False


@admin.register(Membership)
class MembershipAdmin(access.ReferenceDataAccess, admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization__kind"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organization__name"]

    def in_view(self, user, queryset):
        return queryset.filter(pk__in=access.memberships_in_view(user).values("pk"))


@admin.register(Project)
class ProjectAdmin(access.ReferenceDataAccess, admin.ModelAdmin):
    list_display = ["name", "short_name", "implementer"]
    list_select_related = ["implementer"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["donors"]

    def in_view(self, user, queryset):
        return queryset.filter(pk__in=access.projects_in_view(user).values("pk"))


@admin.register(Theme)
class ThemeAdmin(access.ReferenceDataAccess, admin.ModelAdmin):
    search_fields = ["name"]

    def in_view(self, user, queryset):
        return queryset  # the policy form offers every theme
