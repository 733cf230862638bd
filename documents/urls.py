from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("versions/<int:pk>/download/", views.download_version, name="download"),
    path("versions/<int:pk>/preview/", views.preview_version, name="preview"),
    path("versions/<int:older>/compare/<int:newer>/", views.compare_versions, name="compare"),
    path(
        "versions/<int:older>/compare/<int:newer>/changes.docx",
        views.download_redline,
        name="redline",
    ),
    path("translations/<int:pk>/download/", views.download_translation, name="translation"),
    path("translations/<int:pk>/preview/", views.preview_translation, name="translation_preview"),
    path(
        "translations/<int:older>/compare/<int:newer>/",
        views.compare_translations,
        name="translation_compare",
    ),
    path("marked-up/<int:pk>/", views.marked_up_copy, name="marked_up"),
    path("marked-up/<int:pk>/download/", views.download_marked_up_copy, name="marked_up_download"),
    path("records/<int:pk>/download/", views.download_record, name="record"),
    path("letters/<int:pk>/download/", views.download_letter, name="letter"),
    path("reports/portfolio/", views.portfolio_report, name="portfolio_report"),
]
