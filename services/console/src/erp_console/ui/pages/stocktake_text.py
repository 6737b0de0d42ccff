"""Labels and help of 盘点 (zh-CN, English)."""

from erp_console.ui.i18n import register

register(
    {
        "stocktake.list": ("盘点单", "Stocktakes"),
        "stocktake.start_title": ("开始盘点", "Start a stocktake"),
        "stocktake.start_note": (
            "开始时冻结该仓库每个商品的账面数量；盘点期间的出入库在完成时自动对账。",
            "The book qty of every item in the warehouse is frozen now; movements during the "
            "count are reconciled at completion.",
        ),
        "stocktake.start": ("开始盘点", "Start stocktake"),
        "stocktake.current": (
            "{number} · {warehouse} · {status} · 开始于 {started}",
            "{number} · {warehouse} · {status} · started {started}",
        ),
        "stocktake.status_counting": ("盘点中", "counting"),
        "stocktake.status_completed": ("已完成", "completed"),
        "stocktake.counts_title": ("录入盘点数量", "Enter counts"),
        "stocktake.paste_hint": (
            "每行一个商品：商品编码<Tab 或逗号>实盘数量，可直接从 Excel 复制粘贴；"
            "或上传 CSV / XLSX（前两列为商品编码、数量）。按库位/批次盘点时加第三列库位、"
            "第四列批次（可只填其一）。同一商品（同一库位批次）再次录入以最后一次为准。",
            "One item per line: sku<TAB or comma>counted qty, pasted straight from a "
            "spreadsheet; or upload a CSV / XLSX (first two columns sku, qty). To count per "
            "location and lot add a 3rd column location and a 4th column lot (either may be "
            "empty). A sku (or bin) counted again replaces its earlier count.",
        ),
        "stocktake.paste": ("粘贴盘点表", "Paste the count sheet"),
        "stocktake.upload": ("上传 CSV / XLSX", "Upload CSV / XLSX"),
        "stocktake.file_ready": (
            "已读取 {name}，点击「提交盘点数量」发送",
            "{name} read; press Submit counts to send",
        ),
        "stocktake.submit_counts": ("提交盘点数量", "Submit counts"),
        "stocktake.sent": ("已提交 {sent} / {total} 行", "{sent} of {total} lines sent"),
        "stocktake.count_lines": ("{n} 行盘点数量", "{n} count lines"),
        "stocktake.problem": ("第 {line} 行「{text}」：{why}", "Line {line} '{text}': {why}"),
        "stocktake.more_problems": ("另有 {n} 行有问题", "{n} more lines have problems"),
        "stocktake.unknown_sku": ("未登记的商品编码，未提交", "unknown sku, not sent"),
        "stocktake.bad_qty": ("数量不是数字，未提交", "qty is not a number, not sent"),
        "stocktake.negative_qty": ("数量不能为负，未提交", "qty must not be negative, not sent"),
        "stocktake.mixed_count_modes": (
            "该商品在本表中既有按商品又有按库位/批次的行，未提交",
            "this sku has lines both with and without a location/lot, not sent",
        ),
        "stocktake.location": ("库位", "Location"),
        "stocktake.lot": ("批次", "Lot"),
        "stocktake.review": ("差异审核", "Variance review"),
        "stocktake.only_differing": ("只看有差异的行", "Only lines with a variance"),
        "stocktake.totals": (
            "共 {lines} 行，已盘 {counted}，未盘 {uncounted}，有差异 {differing}；"
            "差异数量 {qty}，差异金额 {value}（盘亏 {loss}，盘盈 {gain}）",
            "{lines} lines, {counted} counted, {uncounted} not counted, {differing} differ; "
            "variance qty {qty}, value {value} (losses {loss}, gains {gain})",
        ),
        "stocktake.complete_note": (
            "完成后差异按移动加权平均成本记为盘盈/盘亏调整，不可撤销；未盘的商品不调整。",
            "Completing posts each variance as a count-variance adjustment at the moving-average "
            "cost and cannot be undone; items not counted are not adjusted.",
        ),
        "stocktake.complete": ("完成盘点并过账差异", "Complete and post variances"),
        "stocktake.number": ("盘点单号", "Stocktake"),
        "stocktake.status": ("状态", "Status"),
        "stocktake.book_lines": ("账面行数", "Book lines"),
        "stocktake.counted_lines": ("已盘行数", "Counted"),
        "stocktake.started_at": ("开始时间", "Started"),
        "stocktake.completed_at": ("完成时间", "Completed"),
        "stocktake.variance_value": ("差异金额", "Variance value"),
        "stocktake.book_qty": ("账面数量", "Book qty"),
        "stocktake.movements": ("盘点期间变动", "Moved during count"),
        "stocktake.counted_qty": ("实盘数量", "Counted qty"),
        "stocktake.variance": ("差异数量", "Variance qty"),
        "help.stocktake": (
            "**盘点**：核对仓库实物与账面。\n\n"
            "1. 选择仓库并 **开始盘点**：此刻每个商品的账面数量被冻结，生成盘点单号 ST-…。\n"
            "2. **录入实盘数量**：从 Excel 复制「商品编码、数量」两列粘贴，或上传 CSV/XLSX；"
            "可分多次提交，上千行会自动分批发送。未登记的商品编码、非数字或负数的数量会逐行"
            "标红且不提交，改正后重新提交即可。同一商品再次录入以最后一次为准。"
            "按库位/批次盘点：第三列填库位、第四列填批次，该商品的每一行都要填（库位空 = "
            "默认库位，批次空 = 无批次），差异逐个库位批次计算和过账；未盘的库位批次不调整。"
            "同一商品不能既按商品又按库位/批次盘点。\n"
            "3. **差异审核**：差异 = 实盘 −（冻结账面 + 盘点期间的出入库），即实盘 − 当前现存量；"
            "差异金额按当前 **移动加权平均** 单位成本估算。\n"
            "4. **完成盘点**：有差异的商品记一笔盘盈/盘亏调整（原因 count_variance），"
            "财务记入 1901 待处理财产损溢；未盘的商品不调整。完成后不可撤销。",
            "**Stocktake**: check the goods in a warehouse against the books.\n\n"
            "1. Pick the warehouse and **start**: the book qty of every item is frozen now and "
            "the stocktake gets a number ST-….\n"
            "2. **Enter counts**: paste the two columns sku, qty from a spreadsheet, or upload a "
            "CSV/XLSX; submit as often as you like — thousands of lines are sent in batches. "
            "An unknown sku, or a qty that is not a non-negative number, is listed with its line "
            "number and not sent; fix it and submit again. A sku counted again replaces its "
            "earlier count. To count per location and lot, fill a 3rd column location and a 4th "
            "column lot on every line of that sku (empty location = the default one, empty lot "
            "= no lot): variances are then taken and posted bin by bin, and bins not counted "
            "are left alone. One sku cannot be counted both per sku and per bin.\n"
            "3. **Review**: variance = counted − (frozen book + movements during the count), i.e. "
            "counted − on hand now; its value is estimated at today's **moving-average** cost.\n"
            "4. **Complete**: each variance is posted as a count-variance adjustment (finance "
            "books it to 1901 pending gains/losses); items never counted are not adjusted. "
            "This cannot be undone.",
        ),
    }
)
