@"%~dp0vtsubmit.exe" "%TOM_ADMIN%\tom_submit.wnt" %*
@exit %ERRORLEVEL%
