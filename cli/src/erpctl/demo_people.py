"""The demo company's people: one console account per role, all with the demo password, so a
new user can try each job (docs/console.md, "Demo accounts"). Only `erp up` with the demo
creates them; a real company's administrator registers its own people."""

import httpx

DEMO_PASSWORD = "erp-demo-2026"  # noqa: S105 - published in the docs: demo accounts only
#: username, display name, roles
PEOPLE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("caigou", "采购员 王芳", ("purchasing",)),
    ("jingli", "经理 李强", ("approver", "purchasing")),
    ("cangguan", "仓管员 张伟", ("inventory",)),
    ("xiaoshou", "销售员 刘洋", ("sales",)),
    ("caiwu", "财务 陈静", ("finance",)),
    ("fenxi", "分析师 赵敏", ("analyst",)),
    ("chakan", "只读 孙丽", ("viewer",)),
)


async def seed_people(console_url: str, token: str) -> None:
    """Register each demo person once; an account that exists already is left as it is."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=console_url, headers=headers, timeout=30) as http:
        for username, name, roles in PEOPLE:
            body = {
                "username": username,
                "display_name": name,
                "roles": list(roles),
                "password": DEMO_PASSWORD,
            }
            response = await http.post("/api/users", json=body)
            if response.status_code == 409 and response.json().get("error") == "user_exists":
                continue
            response.raise_for_status()
