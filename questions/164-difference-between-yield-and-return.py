# snipcheck: question 164: Difference between yield and return?
# guide: guides/python-advanced.txt, line 46

# example at line 50
def count_up_to(n):
    count = 1
    while count <= n:
        yield count
        count += 1
