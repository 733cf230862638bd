"""Reference data: organisations, their members, projects and themes."""

from django.contrib import admin

from workflow.models import Membership, Organization, Project, Theme


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None):
        # Policies and their records name organisations; deleting one would
        # quietly drop it from the institutions a policy needs.
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization__kind"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organization__name"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "implementer"]
    list_select_related = ["implementer"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["donors"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    search_fields = ["name"]
