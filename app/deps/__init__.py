from app.deps.core import AdminUser, Auth, AuthorUser, CurrentUser, Db, client_address

__all__ = ["AdminUser", "Auth", "AuthorUser", "CurrentUser", "Db", "client_address"]
