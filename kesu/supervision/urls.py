"""Pages of supervision (/supervision/…) and of the committee (/committee/…),
included once from kesu/urls.py."""

from django.urls import include, path

from .views import feed, notices, registers, sampling

supervision_patterns = [
    path("", feed.feed, name="feed"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice"),
    path("notices/<int:pk>/publish/", notices.notice_publish, name="notice_publish"),
    path("samples/", sampling.sample_list, name="samples"),
    path("samples/<int:pk>/", sampling.sample_detail, name="sample"),
    path(
        "samples/<int:pk>/items/<int:item_id>/",
        sampling.sample_result,
        name="sample_result",
    ),
    path("audits/", sampling.audit_list, name="audits"),
    path("audits/<int:pk>/", sampling.audit_detail, name="audit"),
    path(
        "audits/<int:pk>/items/<int:item_id>/<str:outcome>/",
        sampling.audit_check,
        name="audit_check",
    ),
    path("vexatious/", registers.vexatious_list, name="vexatious"),
    path(
        "vexatious/<int:pk>/unmark/",
        registers.vexatious_unmark,
        name="vexatious_unmark",
    ),
    path("rectifications/", registers.rectification_list, name="rectifications"),
    path(
        "rectifications/<int:pk>/<str:action>/",
        registers.rectification_act,
        name="rectification_act",
    ),
]

urlpatterns = [
    path("supervision/", include((supervision_patterns, "supervision"))),
    path("committee/", include("kesu.committee.urls")),
]
