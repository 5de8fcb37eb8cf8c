from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..queues import queues_for


@login_required
def workbench(request):
    queues = queues_for(request.user)
    return render(
        request,
        "web/workbench.html",
        {
            "queues": queues,
            "total": sum(q.count for q in queues),
        },
    )
