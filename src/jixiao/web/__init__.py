"""The local web app (``jixiao serve``): the CLI's jobs as pages and a JSON API.

Needs the ``web`` extra (``pip install 'jixiao[web]'``). Everything from the library goes
through :mod:`jixiao.web.engine`.
"""
