from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from itas.accounts.models import Invitation, RoleAssignment, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["agency", "district"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff", "role_assignments__role"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("", {"fields": ["full_name", "position", "phone"]}),
        ("", {"fields": ["is_active", "is_staff", "is_superuser", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]},
        )
    ]
    filter_horizontal = []
    inlines = [RoleInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "agency", "created_at", "expires_at", "accepted_at"]
    search_fields = ["email"]
    raw_id_fields = ["agency", "district"]
    readonly_fields = ["token", "accepted_at", "accepted_by"]
